package web

import "net/http"

// Handler returns every route of the UI and the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.page(s.storiesList))
	mux.Handle("GET /stories/{id}", s.page(s.storyShow))
	mux.Handle("GET /articles", s.page(s.articlesList))
	mux.Handle("GET /conflicts", s.page(s.conflictsList))
	mux.Handle("GET /map", s.page(s.mapShow))
	mux.Handle("GET /entities/{id}", s.page(s.entityShow))
	mux.Handle("GET /articles/{id}", s.page(s.articleShow))
	mux.Handle("GET /rejections", s.page(s.rejectionsList))
	mux.Handle("GET /compare/{a}/{b}", s.page(s.compareShow))
	mux.Handle("GET /compare", s.page(s.compareWith))
	mux.Handle("GET /lineages/{id}", s.page(s.lineageShow))
	mux.Handle("GET /search", s.page(s.searchShow))
	mux.Handle("GET /sources", s.page(s.sourcesList))
	mux.Handle("GET /entities", s.page(s.entitiesList))
	mux.Handle("GET /login", s.page(s.loginShow))
	mux.Handle("POST /login", http.HandlerFunc(s.loginPost))
	mux.Handle("POST /stories/{id}/corrections", s.action(s.storyCorrect))
	mux.Handle("POST /overrides", s.action(s.overridePost))
	mux.Handle("POST /stories/{id}/claims", s.action(s.claimStatusPost))
	mux.Handle("POST /entities/{id}/aliases", s.action(s.aliasPost))
	mux.Handle("POST /sources/{id}/role", s.action(s.sourceRolePost))
	mux.Handle("POST /sources/rename", s.action(s.sourceRenamePost))
	mux.Handle("GET /static/{name}", http.HandlerFunc(s.staticFile))
	mux.Handle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) }))

	mux.Handle("GET /api/stories", s.api(s.apiStoriesList))
	mux.Handle("GET /api/stories/{id}", s.api(s.apiStoryShow))
	mux.Handle("GET /api/conflicts", s.api(s.apiConflictsList))
	mux.Handle("GET /api/entities/{id}", s.api(s.apiEntityShow))
	mux.Handle("GET /api/articles", s.api(s.apiArticlesList))
	mux.Handle("GET /api/articles/{id}", s.api(s.apiArticleShow))
	mux.Handle("GET /api/articles/{id}/derivations", s.api(s.apiArticleDerivations))
	mux.Handle("GET /api/compare/{a}/{b}", s.api(s.apiCompareShow))
	mux.Handle("GET /api/lineages/{id}", s.api(s.apiLineageShow))
	mux.Handle("GET /api/rejections", s.api(s.apiRejectionsList))
	mux.Handle("GET /api/search", s.api(s.apiSearch))
	mux.Handle("GET /api/sources", s.api(s.apiSourcesList))
	mux.Handle("GET /api/places", s.api(s.apiPlacesList))
	mux.Handle("GET /api/entities", s.api(s.apiEntitiesList))
	mux.Handle("/api/", s.api(func(*http.Request) (any, error) { return nil, errNoRoute }))
	// Cross-origin writes are refused before anything else (Origin and
	// Sec-Fetch-Site), then the token, then each form's CSRF token.
	return securityHeaders(http.NewCrossOriginProtection().Handler(s.authenticate(mux)))
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}
