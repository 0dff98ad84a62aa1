import Assignment
import Shared

await ServiceMain.run(service: AssignmentService.name, defaultHTTPPort: AssignmentService.defaultHTTPPort, wire: AssignmentService.wire)
