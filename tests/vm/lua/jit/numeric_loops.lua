-- Numeric loops compiled: integer and float arithmetic, conversions, side
-- exits (a branch taken late in the loop), nested loops.
local N = 200000
local s, f = 0, 0.0
for i = 1, N do
  s = s + i % 13
  f = f + i / 7
end
print("sum", s, string.format("%.6f", f))

local odd, even = 0, 0
for i = 1, N do
  if i > N - 100 then odd = odd + 3 elseif i % 2 == 0 then even = even + 1 else odd = odd + 1 end
end
print("branches", odd, even)

local m = 0
for i = 1, 400 do
  for j = 1, 400 do m = m + (i * j) % 11 end
end
print("nested", m)

local x = 1
for i = 1, N do x = (x * 1103515245 + 12345) % 2147483648 end
print("lcg", x)

local t = {}
for i = 1, N do
  local v = i * 0.5
  t[#t + 1] = math.floor(v) + (v % 1 > 0 and 1 or 0)
end
print("floor", t[1], t[2], t[N], #t)
print("tostring", tostring(2^53), tostring(-0.0), tostring(1/0), math.huge == 1/0)
local k = 0
for i = -100000, 100000, 3 do k = k + math.abs(i) end
print("step", k)
