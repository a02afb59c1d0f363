// Operations on a running comandad, for admins: POST /v1/admin/backup (an
// online checkpoint of the log into --backup-dir; docs/operations.md).
#pragma once

#include "api/routes/route.h"

namespace comanda::api {

RouteTable admin_routes(const ApiContext& context);

}  // namespace comanda::api
