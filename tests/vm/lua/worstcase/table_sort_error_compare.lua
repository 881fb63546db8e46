-- expect: ETIME time limit exceeded
-- table.sort with pcall as the comparator: every comparison is an error
-- caught in C and no bytecode runs, so only the C-level step count bounds
-- the sort. A decrement of that count once undid the timer's zero when
-- the interrupt landed inside it: a stretch of two ticks without
-- preemption, in each of three runs of this script under --icount.
local t = {}
for i = 1, 1e4 do t[i] = i % 7 end
while true do table.sort(t, pcall) end
