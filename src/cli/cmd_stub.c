#include "cli/cli.h"
int cmd_info(int argc, char **argv) { return 125; }
int cmd_ls(int argc, char **argv) { return 125; }
