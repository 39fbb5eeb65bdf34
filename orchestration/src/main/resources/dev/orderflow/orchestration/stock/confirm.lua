-- Forgets pending reservations whose orders are committed in PostgreSQL: the units stay taken (the
-- order's lines hold them now) and the idempotency marker stays until it expires.
-- KEYS[1] pending, then one reservation hash per order. ARGV: the order ids.
for i = 2, #KEYS do
  redis.call('DEL', KEYS[i])
  redis.call('ZREM', KEYS[1], ARGV[i - 1])
end
return #KEYS - 1
