// Dev-only: the training panel alone (npx vite, then /app/panels/training/preview.html).
import { createRoot } from 'react-dom/client';
import '../../styles.css';
import { TrainingPanel } from './TrainingPanel';

createRoot(document.getElementById('root')!).render(<TrainingPanel />);
