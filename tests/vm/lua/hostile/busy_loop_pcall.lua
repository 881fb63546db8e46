-- expect: ETIME time limit exceeded
-- Catching the limit error does not buy more time.
while true do
	pcall(function() while true do end end)
end
