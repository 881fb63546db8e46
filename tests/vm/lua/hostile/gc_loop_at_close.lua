-- expect: ok
-- The endless __gc runs when the state closes: the time limit ends it.
keep = newproxy(true)
getmetatable(keep).__gc = function() while true do end end
