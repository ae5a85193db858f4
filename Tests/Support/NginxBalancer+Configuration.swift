extension NginxBalancer {
    /// The nginx configuration of a balancer listening on 127.0.0.1:`listen` in front of upman
    /// instances on 127.0.0.1:`upstreams`, keeping its logs and temporary files under `prefix`
    /// (a folder path). The README's `upman-nginx.conf` has the same upstream and proxy settings,
    /// with fixed paths under `/tmp` and a `pid` line in place of these.
    ///
    /// `daemon`, `master_process`, `pid` and `user` are not in it: the tests pass them with `-g`.
    public static func configuration(listen: Int, upstreams: [Int], prefix: String) -> String {
        let prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        let servers = upstreams.map { "        server 127.0.0.1:\($0) max_fails=1 fail_timeout=2s;" }.joined(separator: "\n")
        return """
            # upman instances behind one nginx: uploads stream through, event streams (SSE) are not
            # buffered, and an instance that stops answering is skipped for 2 s.
            worker_processes auto;
            error_log \(prefix)/error.log warn;

            events {
                worker_connections 1024;
            }

            http {
                access_log \(prefix)/access.log;
                # Temporary files stay under the prefix (Debian's defaults are in /var/lib/nginx).
                client_body_temp_path \(prefix)/client_body;
                proxy_temp_path \(prefix)/proxy;
                fastcgi_temp_path \(prefix)/fastcgi;
                uwsgi_temp_path \(prefix)/uwsgi;
                scgi_temp_path \(prefix)/scgi;

                upstream upman {
                    # Round robin. The zone shares the choice and each instance's failures between
                    # workers, so every worker skips a dead instance after one failure.
                    zone upman 64k;
            \(servers)
                    keepalive 32;
                }

                server {
                    listen 127.0.0.1:\(listen);

                    # Uploads: any size, streamed to the instance as they arrive (not spooled first).
                    client_max_body_size 0;
                    proxy_request_buffering off;
                    # Downloads and event streams (SSE): passed on as the instance writes them.
                    proxy_buffering off;
                    proxy_read_timeout 1h;
                    proxy_send_timeout 1h;
                    proxy_connect_timeout 2s;

                    # Keep-alive connections to the instances.
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;

                    # A request that found an instance down, or got 502 from it, goes to the next one.
                    # `non_idempotent` is left out on purpose: without it nginx never resends a POST,
                    # PATCH or LOCK that already reached an instance, which could apply it twice. upman
                    # makes its requests safe to repeat, but that is its promise to keep, not the
                    # balancer's to assume. (nginx does resend GET, HEAD, PUT, DELETE and OPTIONS; a
                    # PUT whose body has started to stream is never resent, as the body is not kept.)
                    proxy_next_upstream error timeout http_502;

                    location / {
                        proxy_pass http://upman;
                    }
                }
            }

            """
    }
}
