#
# Varnish 7 in front of N instances of the IIIF service (README, "Deploying").
#
# The instances, the round-robin director `instances`, the public Host and the retry order
# live in ./backends.vcl, next to this file: `npm run stack` writes one for its instances;
# for a deployment, edit the example there (one `backend` per instance).
#
# Run varnishd with `-p http_gzip_support=off`: otherwise Varnish rewrites every
# Accept-Encoding to gzip and the service's brotli bodies are never used.
#
vcl 4.1;

import directors;
import std;

# An instance is in rotation while /readyz answers 200; it answers 503 from the moment it
# begins to shut down, so a stopped instance leaves the rotation before it stops listening.
probe ready {
    .url = "/readyz";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

include "./backends.vcl";

# Who may send BAN requests (npm run ingest and the instances, with CACHE_PURGE_URL).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        call ban_request;
    }

    # Nothing a client says about the public address is believed: the instances run with
    # PUBLIC_BASE_URL, and one Host keys the cache, so a forged header can neither change an
    # id in a cached body nor create a second copy of a resource.
    unset req.http.X-Forwarded-Host;
    unset req.http.X-Forwarded-Proto;
    unset req.http.X-Forwarded-Prefix;
    unset req.http.Forwarded;
    call pin_host;
    # Responses are shared, so a caller's request id must not be echoed to others; the
    # retry bookkeeping header is ours alone.
    unset req.http.X-Request-Id;
    unset req.http.X-Failed-Instance;

    set req.backend_hint = instances.backend();

    # Probes describe the instance that answers them now, never a cached one.
    if (req.url ~ "^/(healthz|readyz)([?#]|$)") {
        return (pass);
    }

    # The service reads no cookie; one set by another application on this host must not
    # turn every image into a pass.
    if (req.url ~ "^/iiif/") {
        unset req.http.Cookie;
    }

    call normalise_accept_encoding;
    call normalise_accept_language;
    call normalise_accept;
    # Everything else (methods other than GET/HEAD, Authorization) as Varnish does by default.
}

# BAN with `X-Ban-Url: <regex>` drops every cached response whose path matches; without the
# header, the request path itself is the pattern (a prefix). Bans are tested against the
# path stored on each object (X-Url), so the ban lurker clears memory in the background.
sub ban_request {
    if (client.ip !~ purgers) {
        return (synth(403, "BAN is accepted only from the purgers ACL"));
    }
    if (req.http.X-Ban-Url) {
        set req.http.X-Ban-Expression = "obj.http.X-Url ~ " + req.http.X-Ban-Url;
    } else {
        set req.http.X-Ban-Expression = "obj.http.X-Url ~ ^" + req.url;
    }
    if (std.ban(req.http.X-Ban-Expression)) {
        return (synth(200, "Banned"));
    }
    return (synth(400, "Invalid ban: " + std.ban_error()));
}

# The service compresses with brotli or gzip; these three values are all it distinguishes.
sub normalise_accept_encoding {
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*br\s*(,|;\s*q\s*=\s*(1|0?\.0*[1-9])|$)") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)(^|,)\s*(x-)?gzip\s*(,|;\s*q\s*=\s*(1|0?\.0*[1-9])|$)") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
}

# Pages are Russian or English: the first of the two the header names, Russian by default.
sub normalise_accept_language {
    if (req.http.Accept-Language ~ "(?i)^(\s*(?!(ru|en)\b)[^,]*,)*\s*en\b") {
        set req.http.Accept-Language = "en";
    } else {
        set req.http.Accept-Language = "ru";
    }
}

# Only info.json and the negotiated manifest vary on Accept. Each common header is mapped to
# the one value that gets the same answer; anything unusual (weights of zero, foreign
# profiles) reaches the service unchanged.
sub normalise_accept {
    if (!req.http.Accept || req.http.Accept ~ "q\s*=\s*0(\.0*)?\s*(,|;|$)") {
        return;
    }
    if (req.url ~ "^/iiif/3/[^/]+/info\.json(\?|$)") {
        if (req.http.Accept ~ {"^\s*application/ld\+json\s*(;\s*profile\s*=\s*"?http://iiif\.io/api/image/3/context\.json"?\s*)?$"}) {
            set req.http.Accept = {"application/ld+json;profile="http://iiif.io/api/image/3/context.json""};
        } elsif (req.http.Accept !~ "ld\+json") {
            set req.http.Accept = "application/json";
        }
    } elsif (req.url ~ "^/iiif/2/[^/]+/info\.json(\?|$)") {
        if (req.http.Accept ~ {"^\s*application/ld\+json\s*(;\s*profile\s*=\s*"?http://iiif\.io/api/image/2/context\.json"?\s*)?$"}) {
            set req.http.Accept = {"application/ld+json;profile="http://iiif.io/api/image/2/context.json""};
        } elsif (req.http.Accept !~ "ld\+json") {
            set req.http.Accept = "application/json";
        }
    } elsif (req.url ~ "^/iiif/presentation/[^/]+/manifest(\?|$)") {
        if (req.http.Accept ~ "presentation/3/context\.json" && req.http.Accept !~ "presentation/2/") {
            set req.http.Accept = {"application/ld+json;profile="http://iiif.io/api/presentation/3/context.json""};
        } elsif (req.http.Accept ~ "presentation/2/context\.json" && req.http.Accept !~ "presentation/3/") {
            set req.http.Accept = {"application/ld+json;profile="http://iiif.io/api/presentation/2/context.json""};
        } elsif (req.http.Accept !~ "ld\+json" && req.http.Accept !~ "q\s*=") {
            if (req.http.Accept ~ "application/json") {
                set req.http.Accept = "application/json";
            } elsif (req.http.Accept ~ "(^|,)\s*(\*|application)/\*\s*(,|$)") {
                set req.http.Accept = "*/*";
            }
        }
    }
}

sub vcl_backend_fetch {
    if (bereq.retries > 0) {
        call retry_elsewhere;
        unset bereq.http.X-Failed-Instance;
    }
    # The instance logs this id: a request can be followed from varnishlog to the service log.
    set bereq.http.X-Request-Id = "varnish-" + bereq.xid;
}

# The instance could not be reached or broke the connection: GET and HEAD are tried again on
# the next instance (backends.vcl, retry_elsewhere) before anyone sees an error.
sub vcl_backend_error {
    if (bereq.method ~ "^(GET|HEAD)$" && bereq.retries < 3) {
        set bereq.http.X-Failed-Instance = beresp.backend.name;
        return (retry);
    }
}

sub vcl_backend_response {
    # A 503 is an instance's own refusal (render queue full, shutting down, an image replaced
    # while it was read): another instance may well answer.
    if (beresp.status == 503 && bereq.method ~ "^(GET|HEAD)$" && bereq.retries < 3) {
        set bereq.http.X-Failed-Instance = beresp.backend.name;
        return (retry);
    }
    set beresp.http.X-Url = bereq.url;
    unset beresp.http.X-Request-Id;

    # Pages say `no-cache`: keep them only to revalidate with their ETag (a 304 from the
    # instance), never to answer without asking it. (A TTL of 0 would not be kept at all.)
    if (beresp.http.Cache-Control ~ "(?i)no-cache" && beresp.http.Cache-Control !~ "(?i)no-store|private" && beresp.http.ETag) {
        set beresp.ttl = 1ms;
        set beresp.grace = 0s;
        set beresp.keep = 1h;
        return (deliver);
    }
    # Everything else follows Cache-Control (images a day, info.json an hour, Presentation
    # and Search five minutes); past that, an entry is revalidated with its ETag.
    if (beresp.http.ETag) {
        set beresp.keep = 1d;
    }
}

# Answers to BAN are for scripts: one line of plain text.
sub vcl_synth {
    if (req.method == "BAN") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}

sub vcl_deliver {
    unset resp.http.X-Url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
