-- expect: ETIME time limit exceeded
-- Pattern steps whose character class is megabytes long: classend scans
-- the class for its end and matchbracketclass scans it for the byte, at
-- every start position; one class of single bytes, one of escapes (the
-- scans step by 2 bytes there).
local plain = "[" .. ("a"):rep(2^20) .. "]"
local escapes = "[" .. ("%d"):rep(2^19) .. "]"
local s = ("b"):rep(64)
while true do
	assert(not s:find(plain))
	assert(not s:find(escapes))
end
