-- Replaces a warehouse's Redis state with what PostgreSQL says, under a new generation. Pending
-- reservations of the old generation are dropped: their orders either committed (and PostgreSQL
-- counted them) or will fail the generation check and never commit.
-- KEYS[1] generation, KEYS[2] available, KEYS[3] pending. ARGV[1] new generation, then (sku, units)*.
local stale = redis.call('ZRANGE', KEYS[3], 0, -1)
local prefix = string.sub(KEYS[3], 1, -8)  -- '{wh:W}:' from '{wh:W}:pending'
for _, order_id in ipairs(stale) do
  local reservation = prefix .. 'res:' .. order_id
  local marker = redis.call('HGET', reservation, '~i')
  if marker then
    -- a committed order keeps its PostgreSQL idempotency record; an uncommitted one must be retryable
    redis.call('DEL', marker)
  end
  redis.call('DEL', reservation)
end
redis.call('DEL', KEYS[2], KEYS[3])
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
redis.call('SET', KEYS[1], ARGV[1])
return #stale
