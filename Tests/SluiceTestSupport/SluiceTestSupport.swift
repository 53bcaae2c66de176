// Shared test support: servers, clients, temp dirs, child processes. Written once, used by every test target.
