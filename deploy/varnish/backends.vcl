# The instances of the IIIF service behind this cache (included by default.vcl).
# `npm run stack` writes this file for the instances it starts; for a deployment, list
# one backend per instance, add each to the director and to retry_elsewhere, and set
# pin_host to the host of PUBLIC_BASE_URL.

backend instance1 {
    .host = "127.0.0.1";
    .port = "3001";
    .probe = ready;
    .first_byte_timeout = 30s;
}

backend instance2 {
    .host = "127.0.0.1";
    .port = "3002";
    .probe = ready;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new instances = directors.round_robin();
    instances.add_backend(instance1);
    instances.add_backend(instance2);
}

# Every request is keyed and answered as if for the public host.
sub pin_host {
    set req.http.Host = "iiif.example.org";
}

# Where a GET or HEAD goes after an instance failed it (vcl_backend_fetch, on a retry).
sub retry_elsewhere {
    if (bereq.http.X-Failed-Instance == "instance1") {
        if (std.healthy(instance2)) {
            set bereq.backend = instance2;
        }
    } elsif (bereq.http.X-Failed-Instance == "instance2") {
        if (std.healthy(instance1)) {
            set bereq.backend = instance1;
        }
    }
}
