package network

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// ServiceDepartments returns, for each service, the departments whose items
// it covers.
func (s *Store) ServiceDepartments(ctx context.Context) (map[string][]string, error) {
	return serviceDepartments(ctx, s.db)
}

func serviceDepartments(ctx context.Context, q store.Querier) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT service, department_code FROM service_departments ORDER BY service, department_code`)
	if err != nil {
		return nil, apperr.Wrap(err, "network: service departments")
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var sv, dept string
		if err := rows.Scan(&sv, &dept); err != nil {
			return nil, apperr.Wrap(err, "network: service departments")
		}
		out[sv] = append(out[sv], dept)
	}
	return out, apperr.Wrap(rows.Err(), "network: service departments")
}

// SetServiceDepartments replaces the departments of a service, with q (a transaction).
func SetServiceDepartments(ctx context.Context, q store.Querier, service string, departments []string) error {
	if _, ok := ServiceNames[service]; !ok {
		return apperr.Fields{apperr.Field("service", "unknown", apperr.M("服务类别不存在", "unknown service"))}.Err()
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM service_departments WHERE service = ?`, service); err != nil {
		return apperr.Wrap(err, "network: set service departments")
	}
	departments = slices.Compact(slices.Sorted(slices.Values(departments)))
	for _, d := range departments {
		if _, err := q.ExecContext(ctx, `INSERT INTO service_departments (service, department_code) VALUES (?, ?)`, service, d); err != nil {
			return apperr.Wrap(err, "network: set service departments")
		}
	}
	return pointsWritten(ctx, q)
}
