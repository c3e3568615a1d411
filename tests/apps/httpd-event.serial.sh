# Apache httpd with mpm_event: one child process of 8 worker threads plus
# its listener thread (one memory domain, run one thread at a time), under
# ab -n 5000 -c 8, then SIGTERM.
. "$TOP/tests/lib-httpd.sh"
httpd_case httpd-event event "StartServers 1
ServerLimit 1
ThreadsPerChild 8
MinSpareThreads 1
MaxSpareThreads 8
MaxRequestWorkers 8"
