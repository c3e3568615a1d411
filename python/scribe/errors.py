"""The exceptions of the scribe module: all derive from scribe.Error."""


class Error(Exception):
    """Base of every error the scribe module raises."""


class TraceError(Error):
    """A trace could not be read or written: missing, damaged, of another
    format version, or ending early.  `code` is libscribe's return code
    (a negative SCRIBE_E_* number), `path` the trace."""

    def __init__(self, message, code=None, path=None):
        super().__init__(message)
        self.code = code
        self.path = path

    @property
    def truncated(self):
        """True when the trace ends early (an interrupted or cut recording)."""
        return self.code == -4


class RecordError(Error):
    """scribe record failed; `status` is its exit status, the message is
    scribe's own "scribe: ..." line(s)."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class DivergeError(Error):
    """A replay departed from its trace: at `event` (the trace's Event,
    or None), the trace `expected` one thing (that event as `scribe dump`
    prints it) and the program did what `got` says (the line `scribe
    replay` prints).  Raised by Replay.run_until / step / run; the replay
    stays stopped there and can still be inspected."""

    def __init__(self, message, event=None, expected=None, got=None):
        super().__init__(message)
        self.event = event
        self.expected = expected
        self.got = got
