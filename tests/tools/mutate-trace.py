#!/usr/bin/env python3
"""mutate-trace.py -- damage a copy of a scribe trace, for tests/fuzz.sh.

  mutate-trace.py mutate [--seed N] [--count K] [--kind KIND] SRC DST
      Copy trace directory SRC to DST (a packed trace's objects/ entries
      are hard-linked when possible) and apply K (default 1 to 3, at random) mutations to DST,
      all of kind KIND if given (a m_* function name without the m_, e.g.
      empty-chunk, events, header-fields).  Prints one line per mutation
      saying what was done.

  mutate-trace.py events STREAM OUTDIR PREFIX [MAX]
      Write the events of an uncompressed event stream (see `trace-tool
      unpack`) to OUTDIR/PREFIX-N, each prefixed with the byte 0x02: seeds
      for the fuzzer's "one event" mode.  At most MAX (default 200) events,
      one per distinct (type, first bytes) so the seeds stay varied.

Mutations know the format (src/trace/trace.h): some break checksums on
purpose (the reader must say "corrupt"), others repair every checksum they
touch so the damage reaches the decoders, dump's printer and the replayer.
Only the Python standard library is used; XXH64 is implemented here.
"""
import os
import random
import shutil
import struct
import sys

M64 = (1 << 64) - 1
P1 = 0x9E3779B185EBCA87
P2 = 0xC2B2AE3D27D4EB4F
P3 = 0x165667B19E3779F9
P4 = 0x85EBCA77C2B2AE63
P5 = 0x27D4EB2F165667C5


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def _round(acc, lane):
    acc = (acc + lane * P2) & M64
    return (_rotl(acc, 31) * P1) & M64


def _merge(acc, val):
    acc ^= _round(0, val)
    return (acc * P1 + P4) & M64


def xxh64(data, seed=0):
    n = len(data)
    p = 0
    if n >= 32:
        v1 = (seed + P1 + P2) & M64
        v2 = (seed + P2) & M64
        v3 = seed
        v4 = (seed - P1) & M64
        lanes = struct.unpack_from("<%dQ" % ((n // 32) * 4), data, 0)
        for i in range(0, len(lanes), 4):
            v1 = _round(v1, lanes[i])
            v2 = _round(v2, lanes[i + 1])
            v3 = _round(v3, lanes[i + 2])
            v4 = _round(v4, lanes[i + 3])
        p = (n // 32) * 32
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & M64
        for v in (v1, v2, v3, v4):
            h = _merge(h, v)
    else:
        h = (seed + P5) & M64
    h = (h + n) & M64
    while p + 8 <= n:
        h ^= _round(0, struct.unpack_from("<Q", data, p)[0])
        h = (_rotl(h, 27) * P1 + P4) & M64
        p += 8
    if p + 4 <= n:
        h ^= (struct.unpack_from("<I", data, p)[0] * P1) & M64
        h = (_rotl(h, 23) * P2 + P3) & M64
        p += 4
    while p < n:
        h ^= (data[p] * P5) & M64
        h = (_rotl(h, 11) * P1) & M64
        p += 1
    h ^= h >> 33
    h = (h * P2) & M64
    h ^= h >> 29
    h = (h * P3) & M64
    h ^= h >> 32
    return h


# ---- event streams ---------------------------------------------------------

CHUNK_MAGIC = 0x4B4E4843
CHUNK_HDR = 40


class Chunk:
    def __init__(self, off, flags, raw, stored, first, nev, payload):
        self.off, self.flags, self.raw, self.stored = off, flags, raw, stored
        self.first, self.nev, self.payload = first, nev, payload

    def header(self):
        return struct.pack("<IIIIQII", CHUNK_MAGIC, self.flags, self.raw, self.stored,
                           self.first, self.nev, 0)

    def encode(self, fix=True):
        h = self.header()
        if fix:
            sum_ = xxh64(h + self.payload)
        else:
            sum_ = self.oldsum
        return h + struct.pack("<Q", sum_) + self.payload


def parse_stream(data):
    """(preamble, [Chunk], tail) -- tail is whatever does not parse."""
    chunks = []
    off = 16
    while off + CHUNK_HDR <= len(data):
        magic, flags, raw, stored, first, nev, _res, sum_ = struct.unpack_from(
            "<IIIIQIIQ", data, off)
        if magic != CHUNK_MAGIC or off + CHUNK_HDR + stored > len(data):
            break
        c = Chunk(off, flags, raw, stored, first, nev,
                  bytes(data[off + CHUNK_HDR:off + CHUNK_HDR + stored]))
        c.oldsum = sum_
        chunks.append(c)
        off += CHUNK_HDR + stored
    return bytes(data[:16]), chunks, bytes(data[off:])


def build_stream(pre, chunks, tail=b""):
    return pre + b"".join(c.encode() for c in chunks) + tail


def read_varint(b, p):
    v = shift = 0
    while True:
        if p >= len(b) or shift > 63:
            raise ValueError("bad varint")
        x = b[p]
        p += 1
        v |= (x & 0x7F) << shift
        if not x & 0x80:
            return v, p
        shift += 7


def varint(v):
    out = bytearray()
    while True:
        x = v & 0x7F
        v >>= 7
        out.append(x | (0x80 if v else 0))
        if not v:
            return bytes(out)


def split_events(payload):
    evs, p = [], 0
    while p < len(payload):
        n, p = read_varint(payload, p)
        if p + n > len(payload):
            raise ValueError("event past end")
        evs.append(payload[p:p + n])
        p += n
    return evs


def join_events(evs):
    return b"".join(varint(len(e)) + e for e in evs)


def renumber(chunks):
    idx = 0
    for c in chunks:
        c.first = idx
        idx += c.nev


INTERESTING32 = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF,
                 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF]
INTERESTING_VARINT = [0, 1, 2, 6, 7, 64, 127, 128, 4096, 4097, 1 << 20, (1 << 20) + 1,
                      (1 << 31), (1 << 32) - 1, (1 << 63), (1 << 64) - 1]


def flip(buf, lo, hi, rng, nbytes=None):
    """XOR 1..8 random bytes of buf[lo:hi] with non-zero values."""
    if hi <= lo:
        return 0
    k = nbytes or rng.randint(1, 8)
    for _ in range(k):
        i = rng.randrange(lo, hi)
        buf[i] ^= rng.choice([1, 2, 4, 8, 0x10, 0x20, 0x40, 0x80, rng.randint(1, 255)])
    return k


# ---- mutations -------------------------------------------------------------
# Each takes (dst, rng) and returns a description, or None if it did not apply.

def _read(path):
    with open(path, "rb") as f:
        return bytearray(f.read())


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def _stream_path(dst, rng):
    names = sorted(n for n in os.listdir(dst) if n.startswith("events."))
    return os.path.join(dst, rng.choice(names)) if names else None


def m_stream_flip_raw(dst, rng):
    path = _stream_path(dst, rng)
    if not path:
        return None
    data = _read(path)
    k = flip(data, 0, len(data), rng)
    _write(path, data)
    return "%s: flipped %d byte(s), checksums left broken" % (os.path.basename(path), k)


def m_stream_flip_fixed(dst, rng):
    path = _stream_path(dst, rng)
    if not path:
        return None
    pre, chunks, tail = parse_stream(_read(path))
    if not chunks:
        return None
    c = rng.choice(chunks)
    if c.flags & 1 and rng.random() < 0.5:
        # Compressed: damage the zstd frame lightly.
        pl = bytearray(c.payload)
        k = flip(pl, 0, len(pl), rng, rng.randint(1, 2))
        c.payload = bytes(pl)
        what = "zstd payload"
    else:
        pl = bytearray(c.payload)
        k = flip(pl, 0, len(pl), rng)
        c.payload = bytes(pl)
        what = "payload"
    _write(path, build_stream(pre, chunks, tail))
    return "%s: chunk at %d: flipped %d %s byte(s), checksum repaired" % (
        os.path.basename(path), c.off, k, what)


def m_chunk_field(dst, rng):
    path = _stream_path(dst, rng)
    if not path:
        return None
    pre, chunks, tail = parse_stream(_read(path))
    if not chunks:
        return None
    c = rng.choice(chunks)
    field = rng.choice(["flags", "raw", "stored", "first", "nev"])
    old = getattr(c, field)
    new = rng.choice(INTERESTING32 + [old + 1, max(old - 1, 0), old * 2])
    new &= 0xFFFFFFFF
    setattr(c, field, new)
    _write(path, build_stream(pre, chunks, tail))
    return "%s: chunk at %d: %s %d -> %d, checksum repaired" % (
        os.path.basename(path), c.off, field, old, new)


def m_empty_chunk(dst, rng):
    """An empty chunk that still claims events."""
    path = _stream_path(dst, rng)
    if not path:
        return None
    pre, chunks, tail = parse_stream(_read(path))
    if not chunks:
        return None
    c = rng.choice(chunks)
    c.flags, c.raw, c.stored, c.payload = 0, 0, 0, b""
    _write(path, build_stream(pre, chunks, tail))
    return "%s: chunk at %d emptied (flags 0, raw 0, stored 0, %d events), checksum repaired" % (
        os.path.basename(path), c.off, c.nev)


def m_stream_truncate(dst, rng):
    path = _stream_path(dst, rng)
    if not path:
        return None
    data = _read(path)
    n = rng.randrange(0, len(data)) if data else 0
    _write(path, data[:n])
    return "%s: truncated from %d to %d bytes" % (os.path.basename(path), len(data), n)


def m_stream_preamble(dst, rng):
    path = _stream_path(dst, rng)
    if not path:
        return None
    data = _read(path)
    if len(data) < 16:
        return None
    off = rng.choice([8, 12])
    old = struct.unpack_from("<I", data, off)[0]
    new = rng.choice(INTERESTING32)
    struct.pack_into("<I", data, off, new)
    _write(path, data)
    return "%s: preamble field at %d: %d -> %d" % (os.path.basename(path), off, old, new)


def m_events(dst, rng):
    """Event-level surgery inside an uncompressed chunk, stream kept valid."""
    path = _stream_path(dst, rng)
    if not path:
        return None
    pre, chunks, tail = parse_stream(_read(path))
    plain = [c for c in chunks if not c.flags & 1 and len(c.payload) == c.raw]
    if not plain:
        return None
    c = rng.choice(plain)
    try:
        evs = split_events(c.payload)
    except ValueError:
        return None
    if not evs:
        return None
    op = rng.choice(["delete", "dup", "swap", "byte", "type", "varint", "trunc", "extend",
                     "move"])
    i = rng.randrange(len(evs))
    desc = "event %d of the chunk at %d" % (c.first + i, c.off)
    if op == "delete" and len(evs) > 1:
        del evs[i]
    elif op == "dup":
        evs.insert(i, evs[i])
    elif op == "swap" and len(evs) > 1:
        j = rng.randrange(len(evs))
        evs[i], evs[j] = evs[j], evs[i]
        desc += " <-> %d" % (c.first + j)
    elif op == "move" and len(chunks) > 1:
        # Move an event into another chunk (the stream order changes).
        e = evs.pop(i) if len(evs) > 1 else evs[i]
        other = rng.choice([x for x in plain if x is not c] or [c])
        try:
            oevs = split_events(other.payload)
        except ValueError:
            return None
        oevs.insert(rng.randint(0, len(oevs)), e)
        other.payload = join_events(oevs)
        other.raw = other.stored = len(other.payload)
        other.nev = len(oevs)
        desc += " moved to the chunk at %d" % other.off
    elif op == "byte":
        e = bytearray(evs[i])
        flip(e, 0, len(e), rng, rng.randint(1, 3))
        evs[i] = bytes(e)
    elif op == "type":
        e = bytearray(evs[i])
        e[0] = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xFF])
        evs[i] = bytes(e)
    elif op == "varint":
        # Replace one varint-looking field after the type byte.
        e = evs[i]
        try:
            p = 1
            for _ in range(rng.randint(0, 6)):
                _, p = read_varint(e, p)
            _, q = read_varint(e, p)
        except ValueError:
            return None
        evs[i] = e[:p] + varint(rng.choice(INTERESTING_VARINT)) + e[q:]
    elif op == "trunc" and len(evs[i]) > 1:
        evs[i] = evs[i][:rng.randrange(1, len(evs[i]))]
    elif op == "extend":
        evs[i] = evs[i] + bytes(rng.randint(1, 16))
    else:
        return None
    c.payload = join_events(evs)
    c.raw = c.stored = len(c.payload)
    c.nev = len(evs)
    if c.nev == 0:
        return None
    renumber(chunks)
    _write(path, build_stream(pre, chunks, tail))
    return "%s: %s: %s, sizes and checksums repaired" % (os.path.basename(path), op, desc)


def m_drop_last(dst, rng):
    """The last event of a stream (a task's exit) deleted, stream kept valid:
    the task then dies with no exit in the trace, which replay must call a
    damaged trace, not wait for."""
    path = _stream_path(dst, rng)
    if not path:
        return None
    pre, chunks, tail = parse_stream(_read(path))
    plain = [c for c in chunks if not c.flags & 1 and len(c.payload) == c.raw and c.nev > 1]
    if not plain or plain[-1] is not chunks[-1]:
        return None
    c = plain[-1]
    try:
        evs = split_events(c.payload)
    except ValueError:
        return None
    if len(evs) < 2:
        return None
    del evs[-1]
    c.payload = join_events(evs)
    c.raw = c.stored = len(c.payload)
    c.nev = len(evs)
    renumber(chunks)
    _write(path, build_stream(pre, chunks, tail))
    return "%s: last event (of the chunk at %d) deleted, sizes and checksums repaired" % (
        os.path.basename(path), c.off)


def _output_seq_at(e):
    """Offset range of the output number in an EV_SYSCALL event that wrote
    to scribe's stdout or stderr (src/trace/event.c, encode_syscall)."""
    if not e or e[0] != 2:
        return None
    try:
        _, p = read_varint(e, 1)          # tid
        _, p = read_varint(e, p)          # nr
        flags, p = read_varint(e, p)
        if not flags & 0x06:
            return None
        nargs, p = e[p], p + 1
        for _ in range(nargs + 2):        # args, ret, ip
            _, p = read_varint(e, p)
        p += 8                            # reghash
        if flags & 0x20:                  # inhash, inlen, inprefix
            p += 8
            _, p = read_varint(e, p)
            n, p = read_varint(e, p)
            p += n
        _, q = read_varint(e, p)
    except (ValueError, IndexError):
        return None
    return p, q


def m_output_order(dst, rng):
    """An output's number (the order of outputs across domains) moved ahead,
    stream kept valid: its task then waits for outputs that never come,
    which replay must call a damaged trace, not wait for."""
    path = _stream_path(dst, rng)
    if not path:
        return None
    pre, chunks, tail = parse_stream(_read(path))
    for c in chunks:
        if c.flags & 1 or len(c.payload) != c.raw:
            continue
        try:
            evs = split_events(c.payload)
        except ValueError:
            continue
        for i, e in enumerate(evs):
            at = _output_seq_at(e)
            if not at:
                continue
            p, q = at
            seq, _ = read_varint(e, p)
            evs[i] = e[:p] + varint(seq + 1000) + e[q:]
            c.payload = join_events(evs)
            c.raw = c.stored = len(c.payload)
            _write(path, build_stream(pre, chunks, tail))
            return "%s: event %d: output number %d -> %d, sizes and checksums repaired" % (
                os.path.basename(path), c.first + i, seq, seq + 1000)
    return None


HDR_TAGS = {1: "ARGV", 2: "CWD", 3: "ENV", 4: "EXE", 5: "CPU", 6: "KERNEL", 7: "HOST",
            8: "START", 9: "END", 10: "STATUS", 11: "EVENTS", 12: "BYTES", 13: "NSTREAMS",
            14: "RLIMIT_STACK", 15: "SCRIBE", 16: "WARNINGS", 17: "NTASKS", 18: "TREE",
            19: "NDOMAINS"}


def parse_header(data):
    if len(data) < 24:
        return None
    flen = struct.unpack_from("<I", data, 12)[0]
    if 16 + flen + 8 != len(data):
        return None
    fields, p = [], 16
    while p + 6 <= 16 + flen:
        tag, ln = struct.unpack_from("<HI", data, p)
        if p + 6 + ln > 16 + flen:
            return None
        fields.append([tag, bytes(data[p + 6:p + 6 + ln])])
        p += 6 + ln
    return bytes(data[:16]), fields


def build_header(pre, fields):
    body = b"".join(struct.pack("<HI", t, len(v)) + v for t, v in fields)
    out = bytearray(pre[:12] + struct.pack("<I", len(body)) + body)
    out += struct.pack("<Q", xxh64(bytes(out)))
    return out


def m_header_flip_raw(dst, rng):
    path = os.path.join(dst, "header")
    if not os.path.exists(path):
        return None
    data = _read(path)
    k = flip(data, 0, len(data), rng, rng.randint(1, 3))
    _write(path, data)
    return "header: flipped %d byte(s), checksum left broken" % k


def m_header_fields(dst, rng):
    path = os.path.join(dst, "header")
    if not os.path.exists(path):
        return None
    parsed = parse_header(_read(path))
    if not parsed:
        return None
    pre, fields = parsed
    op = rng.choice(["drop", "dup", "empty", "flip", "short", "unknown", "garbage",
                     "version", "nonul"])
    i = rng.randrange(len(fields)) if fields else 0
    name = HDR_TAGS.get(fields[i][0], str(fields[i][0])) if fields else "-"
    if op == "drop" and fields:
        del fields[i]
    elif op == "dup" and fields:
        fields.insert(i, list(fields[i]))
    elif op == "empty" and fields:
        fields[i][1] = b""
    elif op == "flip" and fields and fields[i][1]:
        v = bytearray(fields[i][1])
        flip(v, 0, len(v), rng, rng.randint(1, 3))
        fields[i][1] = bytes(v)
    elif op == "short" and fields and fields[i][1]:
        fields[i][1] = fields[i][1][:rng.randrange(len(fields[i][1]))]
    elif op == "unknown":
        fields.insert(i, [rng.choice([0, 20, 999, 0xFFFF]), os.urandom(rng.randint(0, 40))])
        name = "new"
    elif op == "garbage" and fields:
        fields[i][1] = os.urandom(rng.randint(1, 64))
    elif op == "version":
        pre = pre[:8] + struct.pack("<I", rng.choice([0, 2, 0xFFFFFFFF])) + pre[12:]
        name = "preamble"
    elif op == "nonul" and fields and fields[i][1].endswith(b"\0"):
        fields[i][1] = fields[i][1].rstrip(b"\0")
    else:
        return None
    _write(path, build_header(pre, fields))
    return "header: %s field %s, checksum repaired" % (op, name)


def m_files(dst, rng):
    fdir = os.path.join(dst, "objects")
    if not os.path.isdir(fdir):
        return None
    names = sorted(os.listdir(fdir))
    if not names or rng.random() < 0.1:
        shutil.rmtree(fdir)
        return "objects/: removed the whole directory"
    n = rng.choice(names)
    os.unlink(os.path.join(fdir, n))
    return "objects/%s: deleted" % n


def m_objects_list(dst, rng):
    path = os.path.join(dst, "objects.list")
    if not os.path.exists(path):
        return None
    lines = _read(path).split(b"\n")
    i = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[i]
        what = "line %d deleted" % i
    else:
        lines[i] = bytes(rng.randrange(256) for _ in range(rng.randrange(20)))
        what = "line %d replaced by random bytes" % i
    _write(path, b"\n".join(lines))
    return "objects.list: %s" % what


def m_files_damage(dst, rng):
    fdir = os.path.join(dst, "objects")
    if not os.path.isdir(fdir) or not os.listdir(fdir):
        return None
    n = rng.choice(sorted(os.listdir(fdir)))
    path = os.path.join(fdir, n)
    data = _read(path)       # a private copy: the link to the source is broken
    mode = os.stat(path).st_mode & 0o777
    os.unlink(path)
    if data and rng.random() < 0.5:
        data = data[:rng.randrange(len(data))]
        what = "truncated to %d bytes" % len(data)
    else:
        flip(data, 0, len(data), rng)
        what = "flipped bytes"
    _write(path, data)
    os.chmod(path, mode)
    return "objects/%s: %s" % (n, what)


MUTATIONS = [
    (m_stream_flip_raw, 2), (m_stream_flip_fixed, 4), (m_chunk_field, 3), (m_empty_chunk, 0.3),
    (m_stream_truncate, 3), (m_stream_preamble, 1), (m_events, 8), (m_drop_last, 0.3),
    (m_output_order, 0.3),
    (m_header_flip_raw, 1), (m_header_fields, 4), (m_files, 2), (m_files_damage, 1),
    (m_objects_list, 0.5),
]


def copy_trace(src, dst):
    os.makedirs(dst)
    for n in os.listdir(src):
        s, d = os.path.join(src, n), os.path.join(dst, n)
        if n == "objects" and os.path.isdir(s):
            os.makedirs(d)
            for f in os.listdir(s):
                try:
                    os.link(os.path.join(s, f), os.path.join(d, f))
                except OSError:
                    shutil.copy2(os.path.join(s, f), os.path.join(d, f))
        elif os.path.isdir(s):
            shutil.copytree(s, d)
        else:
            shutil.copy2(s, d)


def cmd_mutate(args):
    seed, count, kind = None, None, None
    while args and args[0].startswith("--"):
        if args[0] == "--seed":
            seed = int(args[1])
        elif args[0] == "--count":
            count = int(args[1])
        elif args[0] == "--kind":
            kind = args[1]
        else:
            sys.exit("mutate-trace: unknown option %s" % args[0])
        args = args[2:]
    if len(args) != 2:
        sys.exit(__doc__)
    src, dst = args
    rng = random.Random(seed)
    copy_trace(src, dst)
    want = count if count is not None else rng.choice([1, 1, 1, 2, 2, 3])
    done, tries = 0, 0
    fns = [f for f, _ in MUTATIONS]
    weights = [w for _, w in MUTATIONS]
    if kind:
        fns = [f for f in fns if f.__name__ == "m_" + kind.replace("-", "_")]
        if not fns:
            sys.exit("mutate-trace: unknown mutation kind %s" % kind)
        weights = [1]
    while done < want and tries < 50:
        tries += 1
        fn = rng.choices(fns, weights)[0]
        desc = fn(dst, rng)
        if desc:
            print(desc)
            done += 1


def cmd_events(args):
    if len(args) not in (3, 4):
        sys.exit(__doc__)
    stream, outdir, prefix = args[:3]
    limit = int(args[3]) if len(args) == 4 else 200
    _pre, chunks, _tail = parse_stream(_read(stream))
    seen, n = set(), 0
    for c in chunks:
        if c.flags & 1:
            continue
        try:
            evs = split_events(c.payload)
        except ValueError:
            continue
        for e in evs:
            key = e[:1] + e[2:6]
            if key in seen:
                continue
            seen.add(key)
            _write(os.path.join(outdir, "%s-%d" % (prefix, n)), b"\x02" + e)
            n += 1
            if n >= limit:
                return


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) >= 2 else 2)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "mutate":
        cmd_mutate(args)
    elif cmd == "events":
        cmd_events(args)
    else:
        sys.exit("mutate-trace: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
