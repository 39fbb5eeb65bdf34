# postgresql://user@host:port -> pg_user, pg_host, pg_port (5432 if none), for bench.sh and
# pgbench-batches.sh. Sourced, not run.
read_database_url() {
  pg_user=$(sed -E 's#^postgres(ql)?://([^:@/]+).*#\2#' <<<"$1")
  pg_host=$(sed -E 's#^postgres(ql)?://[^@]*@([^:/]+).*#\2#' <<<"$1")
  pg_port=$(sed -E 's#^postgres(ql)?://[^@]*@[^:/]+:?([0-9]*).*#\2#' <<<"$1"); pg_port=${pg_port:-5432}
}
