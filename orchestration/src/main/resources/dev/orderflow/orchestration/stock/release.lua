-- Cancels pending reservations (their order was never committed): gives the units back and frees
-- the idempotency marker. Units go back only if the reservation was made against the current
-- generation: after a rebuild, the rebuilt "available" never counted it.
-- KEYS[1] generation, KEYS[2] available, KEYS[3] pending, then one reservation hash per order.
-- ARGV: the order ids, in the same order. Answers the number of reservations released.
local generation = redis.call('GET', KEYS[1])
local released = 0
for i = 4, #KEYS do
  local reservation = KEYS[i]
  local fields = redis.call('HGETALL', reservation)
  if #fields > 0 then
    local made_in, marker = nil, nil
    for f = 1, #fields, 2 do
      if fields[f] == '~g' then made_in = fields[f + 1] elseif fields[f] == '~i' then marker = fields[f + 1] end
    end
    if made_in == generation then
      for f = 1, #fields, 2 do
        local units = tonumber(fields[f + 1])
        if string.sub(fields[f], 1, 1) ~= '~' and units > 0 then
          redis.call('HINCRBY', KEYS[2], fields[f], units)
        end
      end
    end
    if marker then
      redis.call('DEL', marker)
    end
    redis.call('DEL', reservation)
    released = released + 1
  end
  redis.call('ZREM', KEYS[3], ARGV[i - 3])
end
return released
