import Reporting
import Shared

await ServiceMain.run(service: ReportingService.name, defaultHTTPPort: ReportingService.defaultHTTPPort, wire: ReportingService.wire)
