-- expect: ETIME time limit exceeded
-- A compiled loop whose time goes into C calls (string.rep, string.upper
-- through the trace's calls): the time limit is found inside them.
local s = "abc"
while true do
  local r = s:rep(20000)
  s = r:sub(1, 3):upper():lower()
end
