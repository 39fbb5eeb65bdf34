-- Leases up to ARGV[3] tokens from one principal's token bucket (KEYS[1], a hash: tokens, at).
-- The bucket holds at most ARGV[1] tokens (the burst) and refills at ARGV[2] tokens a second.
-- Time is Redis's own (TIME), so instances with skewed clocks share one bucket fairly.
-- Answers {granted, wait_ms, remaining}: wait_ms is how long until the tokens asked for are there
-- (0 when all were granted). One key per call: safe on Redis Cluster.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local want = tonumber(ARGV[3])

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
  at = now
end

local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
local wait = 0
if granted < want then
  wait = math.ceil((want - granted - tokens) * 1000 / rate)
end

redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
-- a full bucket is the same as no bucket: let idle principals' keys go
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
return {granted, wait, math.floor(tokens)}
