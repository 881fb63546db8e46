function boom()
	local t = nil
	return t.field
end
