-- Tables, length, the table library, iteration.
local t = { 10, 20, 30, nil, 50 }
print(#{}, #{ 1, 2, 3 }, #{ n = 1 }, select("#", unpack({ 1, 2, 3 })), table.maxn({ 1, 2, [10] = 3 }))
local a = {}
for i = 1, 10 do table.insert(a, i * i) end
table.insert(a, 1, 0)
print(table.concat(a, ","), table.remove(a), table.remove(a, 1), #a, table.concat(a, ",", 2, 4))
print(table.concat({}, ","), table.concat({ 1, 2.5, "x" }), pcall(table.concat, { {} }))
local words = { "pear", "apple", "fig", "banana", "kiwi", "cherry", "date", "elder" }
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(x, y) return #x < #y or (#x == #y and x > y) end)
print(table.concat(words, " "))
local nums = {}
for i = 1, 200 do nums[i] = (i * 7919) % 211 end
table.sort(nums, function(x, y) return x > y end)
print(table.concat(nums, " ", 1, 20))
print(pcall(table.sort, { 3, 1, "x" }))
local keys = {}
for k in pairs({ x = 1, y = 2, z = 3, 1, 2 }) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
for i, v in ipairs({ "a", "b", nil, "d" }) do print(i, v) end
print(next({}), next({ 5 }), rawget({ 1 }, 1), rawequal(t, t), rawequal({}, {}), rawset({}, "k", 1).k)
print(select(2, "a", "b", "c"), select(-1, "a", "b", "c"), select("#"), select("#", nil, nil))
print(unpack({ 1, 2, 3 }, 2), unpack({ 1, 2, 3 }, 2, 5))
local big = {}
for i = 1, 1000 do big[i] = i end
for i = 1, 1000, 3 do big[i] = nil end
local n = 0
for _ in pairs(big) do n = n + 1 end
print(n, big[1000], big[999])
local m = {}
m[1.5] = "f"; m[true] = "t"; m[-0] = "z"; m[2^53] = "big"
print(m[1.5], m[true], m[0], m[2^53], m[-0.0])
