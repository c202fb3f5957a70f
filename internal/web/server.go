package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/crosscheck-news/crosscheck/internal/model"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/crosscheck-news/crosscheck/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server is the web UI and JSON API over a store.
type Server struct {
	store     store.Store
	log       *slog.Logger
	pages     map[string]*template.Template
	static    map[string]staticFile // by hashed name
	staticURL map[string]string     // plain name → hashed URL
	token     string                // required of every request when set
	secret    []byte                // signs CSRF tokens; new at each start
}

type staticFile struct {
	body        []byte
	contentType string
}

// New parses the templates (failing on a broken one) and indexes the
// static assets under content-hash URLs.
func New(st store.Store, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: st, log: log, pages: map[string]*template.Template{}, static: map[string]staticFile{}, staticURL: map[string]string{}, secret: make([]byte, 32)}
	if _, err := rand.Read(s.secret); err != nil {
		return nil, err
	}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) loadStatic() error {
	return fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		hashed := hex.EncodeToString(sum[:6]) + "-" + name
		ct := "application/octet-stream"
		switch {
		case strings.HasSuffix(name, ".css"):
			ct = "text/css; charset=utf-8"
		case strings.HasSuffix(name, ".js"):
			ct = "text/javascript; charset=utf-8"
		case strings.HasSuffix(name, ".svg"):
			ct = "image/svg+xml"
		}
		s.static[hashed] = staticFile{body: b, contentType: ct}
		s.staticURL[name] = "/static/" + hashed
		return nil
	})
}

func (s *Server) loadTemplates() error {
	funcs := template.FuncMap{
		"static": func(name string) (string, error) {
			u, ok := s.staticURL[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return u, nil
		},
		"paragraphs": func(text string) []string { return strings.Split(text, "\n\n") },
		"date": func(t *time.Time) string {
			if t == nil {
				return "undated"
			}
			return t.UTC().Format("2 Jan 2006 15:04 UTC")
		},
		"stamp": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.UTC().Format("2 Jan 2006 15:04")
		},
		"add":   func(a, b int) int { return a + b },
		"roles": func() []string { return model.Roles },
		"deref": func(t *time.Time) time.Time {
			if t == nil {
				return time.Time{}
			}
			return *t
		},
		// claimArticle is the article of a claim ID ("<article>-<n>").
		"claimArticle": func(id string) string {
			if i := strings.LastIndexByte(id, '-'); i > 0 {
				return id[:i]
			}
			return id
		},
		"linkList": func(heading string, links []link, self string) map[string]any {
			return map[string]any{"Heading": heading, "Links": links, "Self": self}
		},
	}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_partials.html", p)
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// Serve listens on addr until ctx is cancelled, then shuts down
// gracefully. ready, if set, receives the bound address.
func (s *Server) Serve(ctx context.Context, addr string, ready func(net.Addr)) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	if ready != nil {
		ready(l.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// IsLoopback reports whether addr (host:port) binds only loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
