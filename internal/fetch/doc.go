// Package fetch is crosscheck's one HTTP client for the open web: feeds,
// pages and robots.txt. It is polite (robots.txt and Crawl-delay, one
// request at a time per host at a bounded rate, conditional GET, retries
// with backoff and jitter that honour Retry-After, a clear User-Agent) and
// defensive (timeouts, a size cap applied after decompression, bounded
// redirects, and no private, loopback or link-local addresses unless
// allowed, checked on the address actually dialled).
package fetch
