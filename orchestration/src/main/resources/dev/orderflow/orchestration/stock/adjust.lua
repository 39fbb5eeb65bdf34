-- Applies a change of on-hand to "available", for one SKU, if Redis holds the generation the caller
-- read from PostgreSQL (otherwise a rebuild after the change already counted it, or will).
-- KEYS[1] generation, KEYS[2] available. ARGV[1] expected generation, ARGV[2] sku, ARGV[3] delta,
-- ARGV[4] '1' to refuse a change that would leave available below zero.
-- Answers {'OK', available after}, {'STALE'} or {'SHORT', available now}.
local generation = redis.call('GET', KEYS[1])
if generation ~= ARGV[1] then
  return {'STALE'}
end
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
local delta = tonumber(ARGV[3])
if ARGV[4] == '1' and current + delta < 0 then
  return {'SHORT', current}
end
return {'OK', redis.call('HINCRBY', KEYS[2], ARGV[2], delta)}
