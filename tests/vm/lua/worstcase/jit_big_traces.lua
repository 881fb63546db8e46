-- expect: ok
-- Compiling as C work: loops whose bodies make traces at LuaJIT's limits
-- (thousands of IR instructions, hundreds of snapshots, loop copies), a
-- table access, a branch and arithmetic per statement; each loop runs hot
-- enough to be recorded, optimised and assembled.
local parts = { "local t, a, b = ...\nfor i = 1, 100 do\n" }
for k = 1, 300 do
  parts[#parts + 1] = string.format(
    "  a = a + t[%d] * i; if a > 1e300 then b = b + 1 end; t[%d] = a %% 97\n",
    k % 50 + 1, (k * 7) % 50 + 1)
end
parts[#parts + 1] = "end\nreturn a, b\n"
local f = assert(load(table.concat(parts)))
local t = {}
for i = 1, 50 do t[i] = i end
for r = 1, 3 do f(t, 0, 0) end
local g = assert(load([[
  local x, s = 0, ""
  for i = 1, 300 do
    x = (x * 31 + i) % 1000003
    s = (i % 40 == 0) and "" or s .. string.char(65 + x % 26)
  end
  return x, #s
]]))
for r = 1, 20 do g() end
print("ok")
