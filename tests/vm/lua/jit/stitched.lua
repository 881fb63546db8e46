-- A loop around a library function the JIT does not compile (table.sort):
-- the trace stitches around the call, and a second root trace, which the
-- VM enters through the stitching continuation, goes on after it. The
-- output of user-space luajit.
local x = 0
for i = 1, 3000 do
	local t = { 3, 2, 1, i % 7 }
	table.sort(t)
	x = x + t[1] * i + t[4]
end
print(x)
