# CPU accounting from /proc, in clock ticks (getconf CLK_TCK per second), for bench.sh and
# pgbench-batches.sh. Sourced, not run.

# the machine: all ticks and idle ticks, over every core
cpu_total() { awk '/^cpu / { idle = $5 + $6; total = 0; for (i = 2; i <= 9; i++) total += $i; print total, idle }' /proc/stat; }

# One pass over /proc, cheap enough to repeat every few seconds during a run (one process, not a
# few per process), printing five figures:
#   1. the process SERVICE_PID, its own threads;
#   2. every postgres process (all of a shared server's), with the children each has reaped: a
#      server's exited backends count;
#   3. every redis-server;
#   4. the process TREE_ROOT and all its descendants, each with what it has reaped (0 without one);
#   5. the process REAPER_PID, with what it has reaped: a script's finished commands.
# A process that exits while it is read counts 0.
#   cpu_snapshot SERVICE_PID [TREE_ROOT] [REAPER_PID]
cpu_snapshot() {
  ls /proc | awk -v service="${1:-0}" -v root="${2:-0}" -v reaper="${3:-0}" '
    /^[0-9]+$/ {
      file = "/proc/" $0 "/stat"
      if ((getline line < file) > 0) {
        name = line; sub(/^[^(]*\(/, "", name); sub(/\).*$/, "", name)
        rest = line; sub(/^.*\) /, "", rest); split(rest, f, " ")
        own = f[12] + f[13]; all = own + f[14] + f[15]
        parent[$0] = f[2]; ticks[$0] = all
        if ($0 == service) s = own
        if (name == "postgres") pg += all
        if (name == "redis-server") redis += all
        if ($0 == reaper) reaped = all
      }
      close(file)
    }
    END {
      if (root != 0) for (pid in parent) {
        p = pid
        while (p != root && (p in parent) && p > 1) p = parent[p]
        if (p == root) tree += ticks[pid]
      }
      printf "%d %d %d %d %d\n", s, pg, redis, tree, reaped
    }'
}
