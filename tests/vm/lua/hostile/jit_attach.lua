-- expect: EINVAL vmevent API disabled
-- VM event handlers run with hooks off, beyond every limit: there are none.
jit.attach(function() while true do end end, "bc")
loadstring("return 1")
