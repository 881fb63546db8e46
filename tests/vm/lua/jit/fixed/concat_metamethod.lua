-- Recording __concat (patch 0046): the interpreter's slots the recorder
-- used for the simulated call are restored, for GC64's extra slot, when the
-- recording throws, and for a partial result; a __concat that returns
-- through a vararg or pcall frame continues the concatenation below it.
local v1 = setmetatable({ value = " World!" }, { __concat = function(e) return e.value end })
local v2 = setmetatable({ value = "Hello," }, { __add = function(e) return e.value end })
local v3 = setmetatable({}, { __concat = function(e, v) e.value = v end })
local function ignore() end
local function gc64_slot(n)
	for _ = 1, n do
		ignore(v3 .. v2 + "x" .. (v1 .. "x"))
	end
	return v3.value
end
for i = 1, 1000 do gc64_slot(i % 200 + 1) end
print("gc64 slot", gc64_slot(1))

local pass = setmetatable({}, { __concat = function(_, b) return b end })
local r
for _ = 1, 1000 do r = pass .. "" .. "" .. "" .. "" .. "canary" end
print("partial result", r)

local varg = setmetatable({}, { __concat = function(...) local _, t = ... return t end })
for _ = 1, 1000 do r = "" .. "" .. varg end
print("vararg frame", r == varg)
local viapcall = setmetatable({}, { __call = function(t) return t end, __concat = pcall })
for _ = 1, 1000 do r = viapcall .. viapcall .. "" end
print("pcall frame", r)

-- The second concatenation finds no __concat on a plain table: a trace
-- error while recording, and the loop's own slots must survive it.
local t = setmetatable({}, { __concat = function() return "" end })
local function fails() local _ = {} .. (t .. t) end
local caught, iterations = 0, 0
for _ = 1, 1000 do
	iterations = iterations + 1
	local ok, err = pcall(fails)
	if not ok and tostring(err):find("concatenate a table", 1, true) then
		caught = caught + 1
	end
end
print("error while recording", caught, iterations)
