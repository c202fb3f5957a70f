package web

import (
	"net/http"
)

func (s *Server) rejectionsList(r *http.Request) (*pageData, error) {
	rs, err := s.store.ListRejections(r.Context())
	if err != nil {
		return nil, err
	}
	return &pageData{Template: "rejections", Title: "Rejected inputs", Data: rs}, nil
}
