# Apache httpd with mpm_prefork: up to 8 single-threaded child processes
# that share the scoreboard with their parent in MAP_SHARED memory (so all
# of them form one memory domain), under ab -n 5000 -c 8, then SIGTERM.
. "$TOP/tests/lib-httpd.sh"
httpd_case httpd-prefork prefork "StartServers 2
MinSpareServers 1
MaxSpareServers 4
ServerLimit 8
MaxRequestWorkers 8"
