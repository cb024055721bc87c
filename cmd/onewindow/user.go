package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/config"
)

// flagOfField maps the JSON field names of validation errors to the flags
// that set them, so that a message points at what the operator typed.
var flagOfField = map[string]string{
	"username":        "--username",
	"name":            "--name",
	"role":            "--role",
	"password":        "--password",
	"department_code": "--department",
	"point_code":      "--point",
	"kind":            "--kind",
	"id_number":       "--id-number",
	"credit_code":     "--credit-code",
	"phone":           "--phone",
}

const userAddHelp = `用法 / Usage: onewindow user add --username NAME --name TEXT --role ROLE [scope and identity flags]

创建一个用户账号。密码建议用 --password-stdin 从标准输入读入（或 --password-file 从文件读入），以免出现在进程列表和命令历史中。
Creates a user account. Prefer --password-stdin (or --password-file), so that the password does not show
in the process list or the shell history.

角色与范围 / Roles and their scope:
  applicant     申请人：个人（--kind person，须 --id-number 居民身份证号码）
                或企业（--kind enterprise，须 --credit-code 统一社会信用代码）
                Applicant: a person (--kind person, needs --id-number, a resident ID card number)
                or an enterprise (--kind enterprise, needs --credit-code, a unified social credit code)
  frontdesk     综合受理窗口，须 --point 服务网点编码；在该网点受理任何事项
                Front desk: needs --point; accepts any item at that service point
  reviewer      部门审批人员，须 --department 部门编码；只审批本部门的办件
                Department reviewer: needs --department; decides only that department's cases
  issuer        统一出证窗口，须 --point 服务网点编码；在该网点发放办理结果
                Issuing window: needs --point; hands out results at that service point
  hall_manager  大厅管理员，须 --point 服务网点编码；管理该网点的排队、窗口、值班和营业时间
                Hall manager: needs --point; runs queues, windows, duty roster and hours there
  admin         系统管理员，不绑定范围；管理全省事项目录、服务网络和用户
                Administrator: no scope; manages the catalogue, the service network and users

参数 / Flags:
`

// cmdUser is `onewindow user add`: it creates the user and prints it.
// Exit codes: 0 done (also for --help), 2 bad input, 1 any other failure.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: onewindow user add --help")
		if len(args) > 0 && isHelp(args[0]) {
			return 0
		}
		return 2
	}
	c := newCLI("user add", userAddHelp, stdout, stderr).withDB("")
	var u auth.User
	var role, password string
	var passwordStdin bool
	c.StringVar(&u.Username, "username", "", "登录名，3–64位小写字母、数字、_ . - / login name, 3–64 of a-z 0-9 _ . -")
	c.StringVar(&u.Name, "name", "", "姓名或单位名称 / full name, or the enterprise's name")
	c.StringVar(&role, "role", "", "角色 / role: applicant, frontdesk, reviewer, issuer, hall_manager, admin, finance_officer")
	c.StringVar(&password, "password", "", "密码，至少8个字符 / password, at least 8 characters")
	c.BoolVar(&passwordStdin, "password-stdin", false, "从标准输入的第一行读取密码 / read the password from the first line of standard input")
	c.StringVar(&u.DepartmentCode, "department", "", "部门编码（reviewer 必填）/ department code (reviewer)")
	c.StringVar(&u.PointCode, "point", "", "服务网点编码（frontdesk、issuer、hall_manager 必填）/ service point code (frontdesk, issuer, hall_manager)")
	c.StringVar(&u.Kind, "kind", "", "申请人类型（applicant 必填）/ applicant kind: person or enterprise")
	c.StringVar(&u.IDNumber, "id-number", "", "18位居民身份证号码 / 18-character resident ID card number")
	c.StringVar(&u.CreditCode, "credit-code", "", "18位统一社会信用代码 / 18-character unified social credit code")
	c.StringVar(&u.Phone, "phone", "", "11位手机号码（可选）/ 11-digit mobile number (optional)")
	// The help goes to standard output (asked for before parsing); a
	// mistake in a flag is named on standard error with a pointer to it.
	help := func() {
		config.Prepare(c.FlagSet) // --config and --password-file, --db-file
		io.WriteString(stdout, userAddHelp)
		c.SetOutput(stdout)
		c.PrintDefaults()
		c.SetOutput(stderr)
	}
	c.Usage = func() {}
	for _, a := range args[1:] {
		if isHelp(a) {
			help()
			return 0
		}
	}
	if code := c.parse(args[1:]); code >= 0 {
		if code != 0 {
			fmt.Fprintln(stderr, "(onewindow user add --help 查看用法 / for usage)")
		}
		return code
	}
	if c.NArg() > 0 {
		fmt.Fprintf(stderr, "user add: 多余的参数 / unexpected arguments: %s\n", strings.Join(c.Args(), " "))
		return 2
	}
	if passwordStdin {
		if password != "" {
			fmt.Fprintln(stderr, "user add: --password 与 --password-stdin 只能用一个 / use either --password or --password-stdin, not both")
			return 2
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			fmt.Fprintf(stderr, "user add: 无法从标准输入读取密码 / cannot read the password from standard input: %v\n", err)
			return 2
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if password == "" {
		fmt.Fprintln(stderr, "user add: 请用 --password 或 --password-stdin 提供密码 / a password is required (--password or --password-stdin)")
		return 2
	}
	u.Role = auth.Role(role)
	db, ok := c.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	created, err := auth.NewStore(db).AddUser(ctx, auth.System, u, password)
	if err != nil {
		ae := apperr.As(err)
		switch ae.Code {
		case apperr.Invalid:
			fmt.Fprintln(stderr, "user add: 输入有误 / invalid input:")
			for _, f := range ae.Fields {
				name := flagOfField[f.Field]
				if name == "" {
					name = f.Field
				}
				fmt.Fprintf(stderr, "  %s: %s / %s\n", name, f.Message.ZH, f.Message.EN)
			}
			return 2
		case apperr.Conflict:
			fmt.Fprintf(stderr, "user add: %s / %s\n", ae.Message.ZH, ae.Message.EN)
			return 2
		}
		fmt.Fprintf(stderr, "user add: %v\n", err)
		return 1
	}
	label := auth.RoleNames[created.Role]
	fmt.Fprintf(stdout, "created user %d %s: %s (%s / %s)", created.ID, created.Username, created.Name, label.ZH, label.EN)
	switch created.Role.Scope() {
	case auth.ScopeDepartment:
		fmt.Fprintf(stdout, ", department %s", created.DepartmentCode)
	case auth.ScopePoint:
		fmt.Fprintf(stdout, ", service point %s", created.PointCode)
	}
	fmt.Fprintln(stdout)
	return 0
}
