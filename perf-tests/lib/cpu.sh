# CPU accounting from /proc, in clock ticks (getconf CLK_TCK per second), for bench.sh and
# pgbench-batches.sh. Sourced, not run.

# the machine: all ticks and idle ticks, over every core
cpu_total() { awk '/^cpu / { idle = $5 + $6; total = 0; for (i = 2; i <= 9; i++) total += $i; print total, idle }' /proc/stat; }

# one process, its own threads only
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# one process and the children it has reaped: a server's exited backends, a script's finished commands
# (0 for one that has just exited: a server's processes come and go between pgrep and here)
cpu_with_reaped() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ ticks = $12 + $13 + $14 + $15 } END { print ticks + 0 }'; }

# every process of that name (all of a shared server's, not only one client's connections)
cpu_of_named() {
  local total=0 pid
  for pid in $(pgrep -x "$1"); do total=$((total + $(cpu_with_reaped "$pid"))); done
  echo "$total"
}
