-- expect: ok
-- Stack overflows while a trace's exit restores its snapshot (patch 0055):
-- the error's message looked up the Lua frame's line through a PC past the
-- bytecode or inside the trace. Each must fail as a plain stack overflow.
jit.opt.start("hotloop=1", "hotexit=1")

-- A side trace that enters an up-recursive trace which overflows.
local counter = 0
function side_exit()
	if counter > 5 then return end
	counter = counter + 1
end
local function overflow()
	local r = overflow(side_exit())
	return r
end

-- A stitched call (tonumber's NYI arguments) in a recursion that overflows.
function bisect(f, a, b, fa, fb)
	local c = tonumber("", nil, nil)
	local d, e, g, h
	solve(f, a, b)
	local i, j, k, l, m, n
end
function solve(f, a, b)
	bisect(f, a, b, f(a), f(b))
end
local function f() end

for _ = 1, 20 do
	counter = 0
	local ok, err = pcall(overflow)
	assert(not ok and tostring(err):find("stack overflow", 1, true), tostring(err))
	ok, err = pcall(solve, f)
	assert(not ok and tostring(err):find("stack overflow", 1, true), tostring(err))
end
