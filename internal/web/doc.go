// Package web serves crosscheck's UI (server-rendered html/template pages)
// and its JSON API under /api/. Article text is untrusted input: it is
// always rendered as escaped text, and the Content-Security-Policy allows
// no inline script.
package web
