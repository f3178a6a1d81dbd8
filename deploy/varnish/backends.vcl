# The app servers behind this Varnish, probed every second on the health
# check (/suc-khoe/, which asks nothing of the database); a server that fails
# two of three probes gets no readers until it answers again.

import directors;

probe newsroom_health {
    .url = "/suc-khoe/";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = newsroom_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 15s;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = newsroom_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 15s;
}

# Who may purge: the app servers and workers (and this machine).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new newsroom = directors.round_robin();
    newsroom.add_backend(app1);
    newsroom.add_backend(app2);
}
