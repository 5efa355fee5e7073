function request()
  return wrk.format("GET", "/")
end
