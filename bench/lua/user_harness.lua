-- luajit -joff user_harness.lua SCRIPT REPS: the user-space side of the
-- benchmark; calls SCRIPT's run() REPS times and prints what ksc-lua-bench
-- prints for the kernel: "checksum min_ns mean_ns" (the mean of all
-- runs but the first).
local ffi = require("ffi")
ffi.cdef [[
struct ksc_timespec { long tv_sec; long tv_nsec; };
int clock_gettime(int clk, struct ksc_timespec *ts);
]]
local ts = ffi.new("struct ksc_timespec")
local function now()
	ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
	return tonumber(ts.tv_sec) * 1e9 + tonumber(ts.tv_nsec)
end
local script, reps = arg[1], tonumber(arg[2]) or 5
dofile(script)
local times, sum = {}, nil
for i = 1, reps do
	local t0 = now()
	sum = run()
	times[i] = now() - t0
end
local min, total = math.huge, 0
for i = 1, reps do
	min = math.min(min, times[i])
	if i > 1 then total = total + times[i] end
end
print(string.format("%d %.0f %.0f", sum, min, reps > 1 and total / (reps - 1) or times[1]))
