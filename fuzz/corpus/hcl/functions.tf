locals {
  merged  = merge({ a = 1 }, { b = [1, 2] }, lookup({ c = 3 }, "c", null) == 3 ? { d = true } : {})
  flat    = flatten([[1, 2], [3, [4]]])
  joined  = join(",", compact(distinct(concat(["a", ""], ["a", "b"]))))
  zipped  = zipmap(keys({ x = 1, y = 2 }), values({ x = 1, y = 2 }))
  decoded = jsondecode("{\"a\": [1, 2, {\"b\": null}]}")
  splat   = [{ id = 1 }, { id = 2 }][*].id
  text    = replace(upper(lower("Hello ${coalesce("", "x")}")), "/L+/", "l")
  bad     = file("../../etc/passwd")
}
