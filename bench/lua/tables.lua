-- Table-heavy: array and hash inserts, lookups, sort.
function run()
	local arr, map = {}, {}
	for i = 1, 20000 do
		arr[i] = (i * 7919) % 10007
		map["k" .. (i % 5000)] = i
	end
	table.sort(arr)
	local s = 0
	for i = 1, #arr, 7 do s = s + arr[i] end
	for i = 1, 5000 do s = s + (map["k" .. i] or 0) end
	return s
end
