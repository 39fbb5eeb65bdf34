-- Reserves stock for one or more orders of one warehouse, atomically; and, on the way, confirms
-- reservations whose orders have been committed since (as confirm.lua does), so that under load
-- pending reservations are settled without a round trip of their own.
-- KEYS[1] generation, KEYS[2] available (hash sku -> units), KEYS[3] pending (zset order -> deadline),
-- then per order: its reservation hash, its idempotency marker; then per order to confirm: its reservation hash.
-- ARGV[1] deadline (epoch ms), ARGV[2] idempotency marker TTL (s), ARGV[3] c, the number of orders to confirm,
-- then their c order ids,
-- then per order: order id, policy (P = ship partial, C = ship complete), line count n, n x (sku, quantity).
-- Answers {'MISSING'} when the warehouse is not loaded (rebuild, then retry); else one entry per order:
--   {'OK', generation, sku1, units1, ...}  units reserved per SKU (summed over the order's lines)
--   {'DUP', other order id}                the idempotency key is taken by another order
--   {'UNKNOWN', sku, ...}                  SKUs this warehouse does not stock
-- Reserving twice for one order id answers the first allocation and reserves nothing more.
-- A marker key equal to KEYS[1] means "no idempotency key" (backorder fills).
local generation = redis.call('GET', KEYS[1])
if not generation then
  return {'MISSING'}
end
local deadline = ARGV[1]
local marker_ttl = ARGV[2]
local confirm_count = tonumber(ARGV[3])
local first_confirm_key = #KEYS - confirm_count + 1
for j = 0, confirm_count - 1 do
  redis.call('DEL', KEYS[first_confirm_key + j])
  redis.call('ZREM', KEYS[3], ARGV[4 + j])
end
local results = {}
local arg = 4 + confirm_count
local order_index = 0

local function existing_allocation(reservation)
  local fields = redis.call('HGETALL', reservation)
  local answer = {'OK', redis.call('HGET', reservation, '~g')}
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 1) ~= '~' then
      answer[#answer + 1] = fields[i]
      answer[#answer + 1] = fields[i + 1]
    end
  end
  return answer
end

while arg <= #ARGV do
  local order_id, policy, line_count = ARGV[arg], ARGV[arg + 1], tonumber(ARGV[arg + 2])
  arg = arg + 3
  local reservation = KEYS[4 + 2 * order_index]
  local marker = KEYS[5 + 2 * order_index]
  order_index = order_index + 1

  -- demand per SKU: two lines of one SKU must not each see the full stock
  local skus, demand = {}, {}
  for _ = 1, line_count do
    local sku, quantity = ARGV[arg], tonumber(ARGV[arg + 1])
    arg = arg + 2
    if not demand[sku] then
      demand[sku] = 0
      skus[#skus + 1] = sku
    end
    demand[sku] = demand[sku] + quantity
  end

  local has_marker = marker ~= KEYS[1]
  local holder = has_marker and redis.call('GET', marker)
  if holder and holder ~= order_id then
    results[#results + 1] = {'DUP', holder}
  elseif redis.call('EXISTS', reservation) == 1 then
    results[#results + 1] = existing_allocation(reservation)
  else
    local available, unknown = {}, {}
    for _, sku in ipairs(skus) do
      local units = redis.call('HGET', KEYS[2], sku)
      if units then
        available[sku] = math.max(tonumber(units), 0)
      else
        unknown[#unknown + 1] = sku
      end
    end
    if #unknown > 0 then
      table.insert(unknown, 1, 'UNKNOWN')
      results[#results + 1] = unknown
    else
      local complete = true
      for _, sku in ipairs(skus) do
        if available[sku] < demand[sku] then
          complete = false
        end
      end
      local answer = {'OK', generation}
      redis.call('HSET', reservation, '~g', generation)
      if has_marker then
        redis.call('HSET', reservation, '~i', marker)
      end
      for _, sku in ipairs(skus) do
        local units
        if policy == 'C' then
          units = complete and demand[sku] or 0
        else
          units = math.min(available[sku], demand[sku])
        end
        if units > 0 then
          redis.call('HINCRBY', KEYS[2], sku, -units)
        end
        redis.call('HSET', reservation, sku, units)
        answer[#answer + 1] = sku
        answer[#answer + 1] = units
      end
      redis.call('ZADD', KEYS[3], deadline, order_id)
      if has_marker then
        redis.call('SET', marker, order_id, 'EX', marker_ttl)
      end
      results[#results + 1] = answer
    end
  end
end
return results
