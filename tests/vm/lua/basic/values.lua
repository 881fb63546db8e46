-- CALL: every argument type in, every result type out.
function echo(...)
	return ...
end

function kinds(...)
	local t = {}
	for i = 1, select("#", ...) do t[#t + 1] = type((select(i, ...))) end
	return table.concat(t, ",")
end

function many()
	return 42, -7, 2^53, 0.5, -0.0, 1/0, "text", true, false, nil, {}
end
