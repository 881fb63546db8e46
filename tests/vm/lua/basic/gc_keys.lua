-- Tables, functions, userdata, threads and lightuserdata as table keys:
-- lookups, next() and rehashing work; prints the pairs() order of 64 table
-- keys, which depends on the state's hash secret, not only on addresses.
local keys, t = {}, {}
for i = 1, 64 do
	local k = ({ {}, function() end, newproxy(), coroutine.create(print) })[i % 4 + 1]
	keys[i] = k
	t[k] = i
end
for i = 1, 64 do assert(t[keys[i]] == i) end
-- Grow (rehash) and shrink while the keys stay.
for i = 1, 4096 do t[{}] = true end
for k, v in pairs(t) do if v == true then t[k] = nil end end
collectgarbage()
for i = 1, 64 do assert(t[keys[i]] == i) end
local n = 0
for k, v in pairs(t) do n = n + 1; assert(keys[v] == k) end
assert(n == 64)
local order, o = {}, {}
for i = 1, 64 do o[i] = {} end
local u = {}
for i = 1, 64 do u[o[i]] = i end
for _, v in pairs(u) do order[#order + 1] = v end
print(table.concat(order, ","))
