# Varnish in front of the newsroom's app servers (Varnish 7, varnish-modules).
#
# Anonymous readers' pages are kept as long as the app says (s-maxage) and
# dropped by tag when they change: the app sends every public response with
# an `xkey` header naming what it shows (newsroom/edge.py), and after each
# commit a job sends `PURGE /` with `xkey-purge: a12 s3 home …` here.
# Staff (a session cookie), the admin and the desk pass straight through.
# With the app servers slow or down, pages are served stale (grace) for a day.
#
# The app servers, their health probe and the address allowed to purge are
# in backends.vcl beside this file (an example for two app servers).

vcl 4.1;

import cookie;
import std;
import xkey;

include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = newsroom.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Never cached: the admin (move NEWSROOM_ADMIN_PATH here too), the desk's
    # uploads, the language switch, health checks, the read beacon.
    if (req.url ~ "^/(admin|toa-soan|i18n|ngon-ngu|suc-khoe|luot-doc)/") {
        return (pass);
    }
    # Staff: a session cookie means a signed-in page, always fresh and private.
    cookie.parse(req.http.Cookie);
    if (cookie.get("sessionid")) {
        return (pass);
    }
    # A reader's only cookie that changes a page is the chosen language; it is
    # part of the key. Any other cookie is dropped (it cannot change a page).
    cookie.keep("django_language");
    set req.http.Cookie = cookie.get_string();
    if (req.http.Cookie == "") {
        unset req.http.Cookie;
    }
    # Readers get fresh pages while an app server answers; stale ones, up to
    # the object's grace, while none does.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    if (req.http.Cookie) {
        hash_data(req.http.Cookie);
    }
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Errors are not kept; a background refresh that fails keeps the stale
    # copy; a reader's request is tried once more on the next app server.
    if (beresp.status >= 500) {
        if (bereq.retries < 1 && bereq.method == "GET") {
            return (retry);
        }
        if (bereq.is_bgfetch) {
            return (abandon);
        }
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(?i)private|no-cache|no-store" || !beresp.http.xkey) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A "not found" may be a story whose time has not come: kept briefly
    # (it is purged by its tag when the story goes out anyway).
    if (beresp.status == 404) {
        set beresp.ttl = 30s;
    }
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_error {
    # An app server gone between two probes: the next one answers.
    if (bereq.retries < 2) {
        return (retry);
    }
}

sub vcl_deliver {
    # The tags are for this cache alone.
    unset resp.http.xkey;
    unset resp.http.X-Page-Cache;
    if (obj.hits > 0) {
        set resp.http.X-Edge = "hit";
    } else {
        set resp.http.X-Edge = "miss";
    }
}
