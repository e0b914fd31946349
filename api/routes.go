package api

import "github.com/labstack/echo/v4"

// routes is the whole API, grouped by audience, each route with its roles.
func (s *Server) routes(g *echo.Group) {
	staff := func(roles ...string) echo.MiddlewareFunc { return s.requireAuth(audStaff, roles...) }
	anyStaff := staff("admin", "recruiter", "reviewer")
	admin := staff("admin")

	// Accounts
	g.POST("/signup", s.signup)
	g.POST("/auth/login", s.login)
	g.POST("/auth/refresh", s.refresh)
	g.POST("/auth/logout", s.logout)
	g.GET("/me", s.me, anyStaff)
	g.POST("/users", s.createUser, admin)
	g.GET("/users", s.listUsers, admin)
	g.GET("/users/:id", s.getUser, admin)

}
