import // path
"strings"
