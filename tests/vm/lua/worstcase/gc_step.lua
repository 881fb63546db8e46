-- expect: ETIME time limit exceeded
-- Incremental steps with huge arguments and a huge step multiplier: whole
-- cycles in one lj_gc_step.
local keep = {}
for i = 1, 2^17 do keep[i] = { i } end
collectgarbage("setstepmul", 2^30)
collectgarbage("setpause", 0)
while true do
	collectgarbage("step", 2^30)
	local g = {}
	for i = 1, 2^14 do g[i] = { i } end
end
