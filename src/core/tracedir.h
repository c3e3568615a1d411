/* tracedir.h -- where traces live: $SCRIBE_DIR (default
 * ~/.local/share/scribe), PROG-N names, the `latest` link. */
#ifndef SCRIBE_TRACEDIR_H
#define SCRIBE_TRACEDIR_H

/* Directory holding the traces: $SCRIBE_DIR or ~/.local/share/scribe. */
char *trace_root(void);
/* The user's object store, trace_root()/objects (store.h). */
char *trace_store(void);
/* Create ROOT/PROG-N with the next free N.  Returns the path or NULL. */
char *trace_new_dir(const char *prog);
/* Point ROOT/latest at dir (when dir is inside ROOT). */
void trace_set_latest(const char *dir);

#endif
