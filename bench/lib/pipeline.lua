-- wrk script for bench/run.sh --pipeline N: every write carries N pipelined GET / requests, so the
-- client spends a fraction of a syscall per request and the server's own cost sets req/s.
-- wrk counts each response as one request. N comes from the first script argument.
init = function(args)
   local depth = tonumber(args[1]) or 1
   local requests = {}
   for i = 1, depth do
      requests[i] = wrk.format(nil)
   end
   batch = table.concat(requests)
end

request = function()
   return batch
end
