-- expect: ETIME time limit exceeded
-- An error caught inside a coroutine must not switch the hook off.
local co = coroutine.create(function() while true do end end)
print(coroutine.resume(co))
while true do end
