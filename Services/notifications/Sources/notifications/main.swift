import Notifications
import Shared

await ServiceMain.run(service: NotificationsService.name, defaultHTTPPort: NotificationsService.defaultHTTPPort, wire: NotificationsService.wire)
